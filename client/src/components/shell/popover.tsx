import { useEffect, useId, useRef, useState, type ReactNode } from "react";

interface Props {
  /** The button's content and accessible name. */
  label: ReactNode;
  ariaLabel?: string;
  buttonClass?: string;
  testId?: string;
  /** Which side the panel aligns to. */
  align?: "start" | "end";
  children: (close: () => void) => ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  disabled?: boolean;
  title?: string;
  /** The button shows only an icon: `ariaLabel` names it (otherwise its text does). */
  iconOnly?: boolean;
}

/**
 * A button that opens a panel beside it: closes on Escape (focus back to the button), on a click
 * outside, and when an action inside calls `close`.
 */
export function Popover({ label, ariaLabel, buttonClass, testId, align = "start", children, open: controlled, onOpenChange, disabled, title, iconOnly }: Props) {
  const [own, setOwn] = useState(false);
  const open = controlled ?? own;
  const setOpen = (v: boolean) => {
    setOwn(v);
    onOpenChange?.(v);
  };
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey, true);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey, true);
    };
  }, [open]);

  return (
    <div className="popover-root" ref={root}>
      <button
        ref={button}
        type="button"
        className={buttonClass}
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={iconOnly ? ariaLabel : undefined}
        title={title ?? (iconOnly ? ariaLabel : undefined)}
        disabled={disabled}
        data-testid={testId}
        onClick={() => setOpen(!open)}
      >
        {label}
      </button>
      {open && (
        <div className={`popover popover-${align}`} id={id} role="dialog" aria-label={ariaLabel ?? (typeof label === "string" ? label : undefined)}>
          {children(() => {
            setOpen(false);
            button.current?.focus();
          })}
        </div>
      )}
    </div>
  );
}
