import { nextTick } from 'vue'

/** Scrolls the element with this id into view and marks it for a moment; false when it is not on the page. */
export async function reveal(id) {
  await nextTick()
  const element = document.getElementById(id)
  if (!element) return false
  element.scrollIntoView({ block: 'center' })
  element.classList.add('highlighted')
  setTimeout(() => element.classList.remove('highlighted'), 3000)
  return true
}
