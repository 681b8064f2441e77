// Starts the renderer: styles, Pinia, the router, and the subscription to the main side's events.
import './styles/main.scss';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router, followSession } from './router.ts';
import { useSessionStore } from './stores/session.ts';
import { reportUnexpected } from './composables/unexpected.ts';

const app = createApp(App);
app.use(createPinia());
app.use(router);
app.config.errorHandler = (error) => reportUnexpected(error);
router.onError((error) => reportUnexpected(error));

useSessionStore().listen();
followSession();

app.mount('#app');
