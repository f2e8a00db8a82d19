"use client";
import { RouteError, type RouteErrorProps } from "@/components/dashboards/route-error";

export default function UpdateError(props: RouteErrorProps) {
  return <RouteError {...props} what="the update" />;
}
