// The button looks, in a module without "use client": a server component can style a link as a
// button (buttonClass from ./button.tsx is a client reference there and cannot be called).
export const BUTTON_VARIANTS = {
  primary: "rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:opacity-60",
  secondary: "rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800",
  danger: "rounded bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60",
} as const;

export type ButtonVariant = keyof typeof BUTTON_VARIANTS;

export function buttonClass(variant: ButtonVariant = "primary"): string {
  return BUTTON_VARIANTS[variant];
}
