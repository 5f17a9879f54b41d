import { useSession } from './session.js'

/** An API error carrying the server's problem+json. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `Request failed (${status})`)
    this.status = status
    this.problem = problem
  }
}

async function send(method, path, body, retried = false) {
  const session = useSession()
  const headers = { Accept: 'application/json', 'X-C18N': '1' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (session.token) headers.Authorization = `Bearer ${session.token}`
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  })
  if (response.status === 401 && session.token && !retried && !path.startsWith('/auth/')) {
    if (await session.refresh()) return send(method, path, body, true)
  }
  const text = await response.text()
  const data = text ? JSON.parse(text) : null
  if (!response.ok) throw new ApiError(response.status, data)
  return data
}

/** Uploads one file to /media; answers the media (id, kind, url, thumbnailUrl...). */
async function upload(file) {
  const session = useSession()
  const form = new FormData()
  form.append('file', file)
  const response = await fetch('/api/v1/media', {
    method: 'POST',
    headers: session.token ? { Authorization: `Bearer ${session.token}` } : {},
    body: form,
  })
  const data = await response.json().catch(() => null)
  if (!response.ok) throw new ApiError(response.status, data)
  return data
}

export const api = {
  upload,
  get: (path) => send('GET', path),
  post: (path, body) => send('POST', path, body ?? {}),
  put: (path, body) => send('PUT', path, body),
  patch: (path, body) => send('PATCH', path, body),
  delete: (path) => send('DELETE', path),
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
