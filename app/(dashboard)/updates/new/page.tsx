import { UpdateForm } from "@/components/updates/update-form";
import { requirePageAction } from "@/lib/auth/session";
import { createUpdateAction } from "../actions";

export const metadata = { title: "New update" };

export default async function NewUpdatePage() {
  await requirePageAction("update.write");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">New update</h1>
      <UpdateForm action={createUpdateAction} />
    </div>
  );
}
