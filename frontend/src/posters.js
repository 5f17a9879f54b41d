/**
 * Video posters: the server cannot decode video, so the browser that uploads one draws a frame
 * of it (about one second in) into a canvas and uploads that as the video's poster image.
 */

const WIDEST = 1280

function next(target, event, ms = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} in ${ms} ms`)), ms)
    target.addEventListener(event, () => { clearTimeout(timer); resolve() }, { once: true })
    target.addEventListener('error', () => { clearTimeout(timer); reject(new Error('unplayable video')) }, { once: true })
  })
}

/** A JPEG of the frame at `at` seconds (or mid-way in a shorter video), or null when the browser cannot play the file. */
export async function capturePoster(file, at = 1) {
  const url = URL.createObjectURL(file)
  const video = document.createElement('video')
  video.muted = true
  video.playsInline = true
  video.preload = 'auto'
  try {
    const loaded = next(video, 'loadeddata')
    video.src = url
    await loaded
    const length = video.duration
    const seeked = next(video, 'seeked')
    video.currentTime = Number.isFinite(length) && length > 0 ? Math.min(at, length / 2) : at
    await seeked
    const scale = Math.min(1, WIDEST / video.videoWidth)
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(video.videoWidth * scale)
    canvas.height = Math.round(video.videoHeight * scale)
    if (!canvas.width || !canvas.height) return null
    canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height)
    return await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85))
  } catch {
    return null
  } finally {
    video.removeAttribute('src')
    video.load()
    URL.revokeObjectURL(url)
  }
}

/**
 * Uploaded WebMs recorded by browsers carry no duration: the player reports Infinity and its scrub
 * bar does nothing. Seeking far past the end makes the browser find the real end; then back to the start.
 */
export function findDuration(event) {
  const video = event.target
  if (video.duration !== Infinity) return
  const back = () => {
    if (video.duration === Infinity) return
    video.removeEventListener('durationchange', back)
    // Only from where this left it: a seek someone made meanwhile stands.
    if (video.currentTime >= video.duration) video.currentTime = 0
  }
  video.addEventListener('durationchange', back)
  video.currentTime = 1e101
}
