"use client";
import { RouteError, type RouteErrorProps } from "@/components/dashboards/route-error";

export default function AdminError(props: RouteErrorProps) {
  return <RouteError {...props} what="this administration page" />;
}
