// What a refused DAL call threw: the HttpError, for its status and errors[]; a call that went through fails the test.
import { HttpError } from "@/lib/http/problem";

export async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}
