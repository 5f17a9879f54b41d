// The tab's title per route (the route's path in router.js), so tabs and history entries say where they lead.
const titles = {
  '/feed': 'Feed', '/posts/:id': 'Post', '/chat': 'Chat', '/chat/:room': 'Chat', '/login': 'Sign in',
  '/register': 'Register', '/sso': 'Signing in', '/communities': 'Communities', '/communities/:id': 'Community',
  '/invites': 'Invites', '/groups': 'Groups', '/groups/:id': 'Group', '/people': 'People', '/users/:id': 'Profile',
  '/me': 'Your profile', '/me/data': 'Your data', '/search': 'Search', '/analytics': 'Analytics',
  '/notifications': 'Notifications', '/moderation': 'Moderation', '/account': 'Account',
  '/forgot-password': 'Forgot password', '/reset-password': 'Reset password', '/verify-email': 'Verify e-mail',
}

export function titleOf(route) {
  const path = route.matched[0]?.path
  const title = titles[path] ?? (path?.startsWith('/:unknown') ? 'Page not found' : null)
  return title ? `${title} · c18n` : 'c18n'
}
