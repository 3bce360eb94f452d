import { Icon } from "../icons";
import { Popover } from "../shell/popover";

/** A small, fixed set covering most replies: no emoji package to load. */
const EMOJI = "😀 😃 😄 😊 🙂 😉 😍 🥰 😘 😎 🤔 🙏 👍 👎 👌 👏 🙌 💪 🤝 👋 ❤️ 💙 💚 🔥 ✨ 🎉 🎁 ✅ ❌ ⚠️ ⭐ 📦 🚚 📅 ⏰ 💬 📞 📧 💳 🔒 😢 😅 😂 🙈 🤗 😴 👀 🛒".split(" ");

export function EmojiPicker({ onPick, disabled }: { onPick: (emoji: string) => void; disabled?: boolean }) {
  return (
    <Popover label={<Icon name="smile" />} ariaLabel="Insert an emoji" buttonClass="icon-button" iconOnly testId="emoji-button" disabled={disabled}>
      {(close) => (
        <div className="emoji-grid" role="group" aria-label="Emoji">
          {EMOJI.map((e) => (
            <button
              key={e}
              type="button"
              className="emoji"
              onClick={() => {
                onPick(e);
                close();
              }}
              aria-label={`Insert ${e}`}
            >
              {e}
            </button>
          ))}
        </div>
      )}
    </Popover>
  );
}
