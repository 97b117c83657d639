// The web app's entry: starts the current page's API requests at once (so they run while the page's
// code and the chart library load), then the shell, which loads each page's code on demand.
import { prefetch } from './api.ts';
import { firstRequests } from './page-queries.ts';
import { currentPage, pick } from './url-state.ts';
import './components/aida-app.ts';

prefetch(firstRequests[currentPage()].map(({ path, keys }) => ({ path, query: Object.fromEntries(pick(keys)) })));
