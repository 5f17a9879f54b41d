import { createRouter, createWebHistory } from 'vue-router'
import { useSession } from './session.js'
import Login from './views/Login.vue'
import Register from './views/Register.vue'
import Communities from './views/Communities.vue'
import Community from './views/Community.vue'
import Invites from './views/Invites.vue'
import Groups from './views/Groups.vue'
import Group from './views/Group.vue'
import People from './views/People.vue'
import Profile from './views/Profile.vue'
import Sso from './views/Sso.vue'
import Feed from './views/Feed.vue'
import Post from './views/Post.vue'
import Chat from './views/Chat.vue'
import Search from './views/Search.vue'
import Analytics from './views/Analytics.vue'
import Notifications from './views/Notifications.vue'
import Moderation from './views/Moderation.vue'
import NotFound from './views/NotFound.vue'
import YourData from './views/YourData.vue'
import Account from './views/Account.vue'
import ForgotPassword from './views/ForgotPassword.vue'
import ResetPassword from './views/ResetPassword.vue'
import VerifyEmail from './views/VerifyEmail.vue'
import { titleOf } from './titles.js'

// Links before the app used real paths were /#/path: they still lead to the same page.
if (location.hash.startsWith('#/')) history.replaceState(history.state, '', location.hash.slice(1))

// Every path below is also served by the server (web/WebApp.ROUTES; WebAppTest keeps the two
// lists equal), so that a link to any page can be opened directly.
const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/feed' },
    { path: '/feed', component: Feed },
    { path: '/posts/:id', component: Post, props: true },
    { path: '/chat', component: Chat },
    { path: '/chat/:room', component: Chat, props: true },
    { path: '/login', component: Login, meta: { public: true } },
    { path: '/register', component: Register, meta: { public: true } },
    { path: '/sso', component: Sso, meta: { public: true } },
    { path: '/communities', component: Communities },
    { path: '/communities/:id', component: Community, props: true },
    { path: '/invites', component: Invites },
    { path: '/groups', component: Groups },
    { path: '/groups/:id', component: Group, props: true },
    { path: '/people', component: People },
    { path: '/users/:id', component: Profile, props: true },
    { path: '/me', component: Profile },
    { path: '/me/data', component: YourData },
    { path: '/search', component: Search },
    { path: '/analytics', component: Analytics },
    { path: '/notifications', component: Notifications },
    { path: '/moderation', component: Moderation },
    { path: '/account', component: Account },
    { path: '/forgot-password', component: ForgotPassword, meta: { public: true } },
    { path: '/reset-password', component: ResetPassword, meta: { public: true } },
    { path: '/verify-email', component: VerifyEmail, meta: { public: true } },
    { path: '/:unknown(.*)*', component: NotFound, meta: { public: true } },
  ],
})

router.beforeEach(async (to) => {
  const session = useSession()
  await session.restore()
  if (!to.meta.public && !session.signedIn) return { path: '/login', query: { next: to.fullPath } }
  if ((to.path === '/login' || to.path === '/register') && session.signedIn) return '/feed'
})

router.afterEach((to) => { document.title = titleOf(to) })

export default router
