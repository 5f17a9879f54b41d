import dayjs from 'dayjs'
import relativeTime from 'dayjs/plugin/relativeTime'

dayjs.extend(relativeTime)

/** "5 minutes ago"; anything older than a week as its date. */
export function ago(at) {
  const then = dayjs(at)
  return dayjs().diff(then, 'day') >= 7 ? then.format('D MMM YYYY') : then.fromNow()
}

/** The absolute local time, for a title and for "Muted until …". */
export function absolute(at) {
  return dayjs(at).format('D MMM YYYY, HH:mm')
}

/** "Today", "Yesterday" or the date: the heading of a day in a chat. */
export function dayLabel(at) {
  const day = dayjs(at).startOf('day')
  const today = dayjs().startOf('day')
  if (day.isSame(today)) return 'Today'
  if (day.isSame(today.subtract(1, 'day'))) return 'Yesterday'
  return day.format(day.year() === today.year() ? 'dddd, D MMMM' : 'D MMMM YYYY')
}

export function sameDay(a, b) {
  return dayjs(a).isSame(dayjs(b), 'day')
}
