"use client";
import { RouteError, type RouteErrorProps } from "@/components/dashboards/route-error";

export default function SearchError(props: RouteErrorProps) {
  return <RouteError {...props} what="the search results" />;
}
