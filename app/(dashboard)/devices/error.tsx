"use client";
import { RouteError, type RouteErrorProps } from "@/components/dashboards/route-error";

export default function DevicesError(props: RouteErrorProps) {
  return <RouteError {...props} what="the devices" />;
}
