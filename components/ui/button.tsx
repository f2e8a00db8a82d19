"use client";
// Buttons: one primary action per form, secondary for the rest, danger for what cannot be undone
// (it asks first when `confirm` is given). A submit button shows its pending label while the form's
// action runs.
import { useFormStatus } from "react-dom";
import { BUTTON_VARIANTS as VARIANTS, buttonClass, type ButtonVariant } from "./button-styles";

export { buttonClass, type ButtonVariant };

type ButtonProps = React.ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: ButtonVariant;
  /** Asked before the click goes through (destructive actions). */
  confirm?: string;
};

export function Button({ variant = "primary", confirm, className = "", onClick, type = "button", ...rest }: ButtonProps) {
  return (
    <button
      type={type}
      className={`${VARIANTS[variant]} ${className}`}
      onClick={(event) => {
        if (confirm && !window.confirm(confirm)) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
      {...rest}
    />
  );
}

/** The form's submit button: disabled with `pendingLabel` while the action runs. */
export function SubmitButton({ children, pendingLabel = "Saving…", disabled, ...rest }: ButtonProps & { pendingLabel?: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" disabled={pending || disabled} aria-disabled={pending || disabled} {...rest}>
      {pending ? pendingLabel : children}
    </Button>
  );
}
