// The signed-in navigation; `editorOnly`/`adminOnly` entries are shown to those roles (the pages check again).
export const NAV_LINKS = [
  { href: "/", label: "Overview" },
  { href: "/updates", label: "Updates" },
  { href: "/rollouts", label: "Rollouts" },
  { href: "/devices", label: "Devices" },
  { href: "/known-issues", label: "Known issues" },
  { href: "/search", label: "Search" },
  { href: "/events/import", label: "Import status", editorOnly: true },
  { href: "/admin", label: "Admin", adminOnly: true },
] as const;
