// The signed-in navigation; `adminOnly` entries are shown to admins (the pages check again).
export const NAV_LINKS = [
  { href: "/", label: "Overview" },
  { href: "/updates", label: "Updates" },
  { href: "/devices", label: "Devices" },
  { href: "/known-issues", label: "Known issues" },
  { href: "/search", label: "Search" },
  { href: "/admin/users", label: "Admin", adminOnly: true },
] as const;
