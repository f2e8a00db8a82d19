"use client";
// Live refresh: poll a read-only JSON route every 15 s while the tab is visible; keep showing the
// last good data (and say so) when a poll fails.
import { useQuery } from "@tanstack/react-query";

export const LIVE_INTERVAL_MS = 15_000;

export function useLive<T>(key: string, url: string, initialData: T) {
  return useQuery<T>({
    queryKey: [key, url],
    queryFn: async ({ signal }) => {
      const res = await fetch(url, { signal, headers: { accept: "application/json" }, cache: "no-store" });
      if (!res.ok) throw new Error(`refresh failed (${res.status})`);
      return (await res.json()) as T;
    },
    initialData,
    refetchInterval: LIVE_INTERVAL_MS,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
    staleTime: 5_000,
    retry: 1,
  });
}
