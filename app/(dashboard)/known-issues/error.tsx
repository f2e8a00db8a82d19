"use client";
import { RouteError, type RouteErrorProps } from "@/components/dashboards/route-error";

export default function KnownIssuesError(props: RouteErrorProps) {
  return <RouteError {...props} what="the known issues" />;
}
