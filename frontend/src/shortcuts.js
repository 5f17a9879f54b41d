// The web app's keyboard shortcuts, as the help dialog ("?") lists them: one key, or "g" then a letter to go somewhere.
export const shortcuts = [
  { keys: ['/'], does: 'Search', action: 'search' },
  { keys: ['g', 'h'], does: 'Home: your feed', to: '/feed' },
  { keys: ['g', 'c'], does: 'Communities', to: '/communities' },
  { keys: ['g', 'n'], does: 'Notifications', to: '/notifications' },
  { keys: ['g', 'p'], does: 'Private messages: chat', to: '/chat' },
  { keys: ['?'], does: 'This list of shortcuts', action: 'help' },
]

// A second key counts as part of a "g …" pair only this soon after the "g".
const PAIR_MS = 1500

/** Whether a key press is someone writing (in a field, an editor) rather than asking for a shortcut. */
function typing(event) {
  const target = event.target
  return event.ctrlKey || event.metaKey || event.altKey || event.isComposing || target?.isContentEditable
    || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target?.tagName) || !!target?.closest?.('dialog[open]')
}

/** Listens for the shortcuts on the document; {@code go(path)}, {@code act(action)}. Answers a function that stops it. */
export function listenForShortcuts({ go, act }) {
  let pending = null
  let pendingAt = 0
  function onKey(event) {
    if (typing(event)) return
    const key = event.key
    const first = pending && Date.now() - pendingAt < PAIR_MS ? pending : null
    pending = null
    const shortcut = shortcuts.find((s) => first ? s.keys.length === 2 && s.keys[0] === first && s.keys[1] === key
      : s.keys.length === 1 && s.keys[0] === key)
    if (shortcut) {
      event.preventDefault()
      if (shortcut.to) go(shortcut.to)
      else act(shortcut.action)
    } else if (!first && shortcuts.some((s) => s.keys.length === 2 && s.keys[0] === key)) {
      pending = key
      pendingAt = Date.now()
    }
  }
  document.addEventListener('keydown', onKey)
  return () => document.removeEventListener('keydown', onKey)
}
