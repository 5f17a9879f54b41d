import { reactive } from 'vue'
import { useSession } from './session.js'
import { capturePoster } from './posters.js'

/** An API error carrying the server's problem+json. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `Request failed (${status})`)
    this.status = status
    this.problem = problem
  }
}

/** One call to the server: `{status, location, data}`; an error answer throws ApiError. */
async function request(method, url, body, retried = false) {
  const session = useSession()
  const headers = { Accept: 'application/json', 'X-C18N': '1' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (session.token) headers.Authorization = `Bearer ${session.token}`
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  })
  if (response.status === 401 && session.token && !retried && !url.startsWith('/api/v1/auth/')) {
    if (await session.refresh()) return request(method, url, body, true)
  }
  const text = await response.text()
  const data = text ? JSON.parse(text) : null
  if (!response.ok) throw new ApiError(response.status, data)
  return { status: response.status, location: response.headers.get('Location') || data?.location, data }
}

// How long to wait before each read of a write that was accepted but not yet readable (about 30 s in all).
const LANDING_DELAYS = [250, 500, 1000, 2000, 4000, 6000, 8000, 8000]
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Pending stand-ins -> the promise of their resource. */
const landings = new WeakMap()

/**
 * A write. 200/201: answers the resource as the server read it back. 202 Accepted (the write is
 * in the log, the projection has not applied it yet, see docs/api.md): answers a stand-in, what
 * the caller expects to see (`expect.pending`: e.g. the text the user wrote) marked `pending: true`
 * and named by the Location's id, and reads the Location until the write shows there
 * (`expect.landed(resource)`: any answer for a new resource; a change says what it changed),
 * then fills the stand-in in place with the resource. `landed(item)` waits for that.
 */
async function write(method, path, body, expect = {}) {
  const answer = await request(method, `/api/v1${path}`, body)
  if (answer.status !== 202) return answer.data
  const standIn = reactive({ ...(expect.pending || {}), pending: true })
  const id = answer.location?.split('/').pop()
  if (standIn.id === undefined && UUID.test(id || '')) standIn.id = id
  const landing = answer.location
    ? land(standIn, answer.location, expect.landed || (() => true))
    : Promise.reject(new Error('Accepted: it will show in a moment.'))
  landing.catch(() => {}) // a caller that does not wait for it still sees the stand-in
  landings.set(standIn, landing)
  return standIn
}

async function land(standIn, location, isLanded) {
  let failure = null
  for (const delay of LANDING_DELAYS) {
    await sleep(delay)
    try {
      const { data } = await request('GET', location)
      if (isLanded(data)) return fill(standIn, data)
    } catch (e) {
      failure = e // not readable yet (404) or not yet allowed (403): the projection will get there
    }
  }
  throw new Error(`Saved, but not visible yet${failure ? ` (${failure.message})` : ''}: reload in a moment.`)
}

/** The stand-in becomes the resource, keeping its identity so views that hold it redraw. */
function fill(standIn, resource) {
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) return resource
  for (const key of Object.keys(standIn)) if (!(key in resource)) delete standIn[key]
  return Object.assign(standIn, resource)
}

/** What a write answered once it is readable: the item itself unless it is a pending stand-in. */
export function landed(item) {
  return landings.get(item) ?? Promise.resolve(item)
}

/** Uploads one file to /media; answers the media (id, kind, url, thumbnailUrl...). */
/** Uploads an image or a video; a video gets a poster drawn from one of its frames when the browser can play it. */
async function upload(file) {
  const uploaded = await send(file)
  if (uploaded.kind !== 'video') return uploaded
  const frame = await capturePoster(file)
  if (!frame) return uploaded
  try {
    const poster = await send(new File([frame], 'poster.jpg', { type: 'image/jpeg' }), uploaded.id)
    return { ...uploaded, posterId: poster.id, posterUrl: poster.url }
  } catch {
    return uploaded
  }
}

async function send(file, posterOf) {
  const session = useSession()
  const form = new FormData()
  form.append('file', file)
  const response = await fetch(posterOf ? `/api/v1/media?poster=${posterOf}` : '/api/v1/media', {
    method: 'POST',
    headers: session.token ? { Authorization: `Bearer ${session.token}` } : {},
    body: form,
  })
  const data = await response.json().catch(() => null)
  if (!response.ok) throw new ApiError(response.status, data)
  return data
}

/** A file the server sends (a data export): `{blob, filename}`. */
async function download(path, retried = false) {
  const session = useSession()
  const response = await fetch(`/api/v1${path}`, {
    headers: session.token ? { Authorization: `Bearer ${session.token}` } : {},
  })
  if (response.status === 401 && !retried && (await session.refresh())) return download(path, true)
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null))
  const filename = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') || '')?.[1]
  return { blob: await response.blob(), filename }
}

export const api = {
  upload,
  get: async (path) => (await request('GET', `/api/v1${path}`)).data,
  post: (path, body, expect) => write('POST', path, body ?? {}, expect),
  put: (path, body, expect) => write('PUT', path, body, expect),
  patch: (path, body, expect) => write('PATCH', path, body, expect),
  delete: (path, expect) => write('DELETE', path, undefined, expect),
  deleteWith: (path, body) => write('DELETE', path, body),
  download,
}

/** Runs an action for a view: clears the view's error, and shows the action's failure in it. */
export async function attempt(error, action) {
  error.value = ''
  try {
    return await action()
  } catch (e) {
    error.value = e.message
  }
}

/** Tries an action again with growing pauses while it fails (bounded); the last failure is thrown. */
export async function eventually(action) {
  for (const delay of LANDING_DELAYS) {
    try {
      return await action()
    } catch (e) {
      await sleep(delay)
    }
  }
  return action()
}
