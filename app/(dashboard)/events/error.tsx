"use client";
import { RouteError, type RouteErrorProps } from "@/components/dashboards/route-error";

export default function EventsError(props: RouteErrorProps) {
  return <RouteError {...props} what="the event import" />;
}
