import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GuideCatalog, GuideFilter, GuideSearchHit, ServiceSummary } from '../../../../electron/contract/index.js';
import { useApi, useCall } from '../../app/api.js';
import { useNavigation } from '../../app/navigation.js';
import { LetterKeypad } from './LetterKeypad.js';
import { ServiceDetail } from './ServiceDetail.js';
import './guide.css';
import { TabBar } from '../../components/TabBar.js';
import { useSay } from '../../i18n/say.js';

/**
 * The service guide: search (Chinese, pinyin or initials, typed on the
 * on-screen letter keypad), or browse by department, life event or audience;
 * then one service's guide. `arg` = a service id opens that service directly
 * (the robot and other screens link here).
 */
type Tab = GuideFilter['by'];
const TABS: readonly Tab[] = ['department', 'lifeEvent', 'audience'];
const SEARCH_DELAY_MS = 150;
const MAX_QUERY = 60;

type Listing = { kind: 'none' } | { kind: 'loading' } | { kind: 'hits'; hits: GuideSearchHit[] } | { kind: 'error'; message: string };

function facetsOf(catalog: GuideCatalog, tab: Tab): Array<{ key: string; label: string; count: number; filter: GuideFilter }> {
  switch (tab) {
    case 'department':
      return catalog.departments.map((d) => ({ key: d.id, label: d.name, count: d.serviceCount, filter: { by: 'department', departmentId: d.id } }));
    case 'lifeEvent':
      return catalog.lifeEvents.map((e) => ({ key: e.name, label: e.label, count: e.serviceCount, filter: { by: 'lifeEvent', lifeEvent: e.name } }));
    case 'audience':
      return catalog.audiences.map((a) => ({ key: a.audience, label: a.audience, count: a.serviceCount, filter: { by: 'audience', audience: a.audience } }));
  }
}

function facetKey(filter: GuideFilter): string {
  return filter.by === 'department' ? filter.departmentId : filter.by === 'lifeEvent' ? filter.lifeEvent : filter.audience;
}

function ServiceRow({ service, matched, onOpen }: { service: ServiceSummary; matched?: string | undefined; onOpen: () => void }) {
  const { t } = useTranslation('guide');
  return (
    <li>
      <button type="button" className="touch guide-row" onClick={onOpen} data-testid={`guide-result-${service.id}`}>
        <span className="guide-row-name">{service.name}</span>
        <span className="guide-row-where">
          {service.departmentName} · {t('floor', { floor: service.floor })} · {t('windows', { windows: service.windows.join(t('common:listSeparator')) })}
        </span>
        <span className="guide-row-tags">
          <span className="guide-badge">{service.online}</span>
          {service.selfService && <span className="guide-badge is-self">{t('selfService')}</span>}
          {matched !== undefined && matched !== service.name && <span className="guide-matched">{t('matched', { text: matched })}</span>}
        </span>
      </button>
    </li>
  );
}

function Browse({ onOpen }: { onOpen: (serviceId: string) => void }) {
  const { t, i18n } = useTranslation('guide');
  const say = useSay();
  const api = useApi();
  // The host names the facets in the citizen's language: asked again when she switches.
  const catalog = useCall('guide.catalog', {}, [i18n.language]);
  const [query, setQuery] = useState('');
  // The keypad opens when the search box is touched: browsing needs the room.
  const [keypad, setKeypad] = useState(false);
  const [tab, setTab] = useState<Tab>('department');
  const [filter, setFilter] = useState<GuideFilter | null>(null);
  // Answers are kept with the request they answer, so a stale answer never shows for a newer query.
  const [answer, setAnswer] = useState<{ key: string; listing: Listing }>();

  const searching = query.trim() !== '';
  const requestKey = searching ? `search:${query}` : filter !== null ? `list:${JSON.stringify(filter)}` : null;
  useEffect(() => {
    if (requestKey === null) return undefined;
    let live = true;
    const settle = (listing: Listing): void => {
      if (live) setAnswer({ key: requestKey, listing });
    };
    const timer = setTimeout(
      () => {
        if (searching)
          void api.call('guide.search', { query, limit: 30 }).then((result) => settle(result.ok ? { kind: 'hits', hits: result.value } : { kind: 'error', message: say(result.error) }));
        else if (filter !== null)
          void api
            .call('guide.list', { filter })
            .then((result) =>
              settle(result.ok ? { kind: 'hits', hits: result.value.map((service) => ({ service, matched: service.name, matchedBy: 'name' as const })) } : { kind: 'error', message: say(result.error) }),
            );
      },
      searching ? SEARCH_DELAY_MS : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, requestKey, searching, query, filter, say]);
  const listing: Listing = requestKey === null ? { kind: 'none' } : answer?.key === requestKey ? answer.listing : { kind: 'loading' };

  const type = (next: string): void => setQuery(next.slice(0, MAX_QUERY));
  const facets = catalog?.ok ? facetsOf(catalog.value, tab) : [];

  return (
    <div className="guide-browse">
      <div className="guide-search">
        <input
          className="guide-search-input"
          type="search"
          value={query}
          onChange={(event) => type(event.target.value)}
          onFocus={() => setKeypad(true)}
          placeholder={t('searchPlaceholder')}
          aria-label={t('searchLabel')}
          maxLength={MAX_QUERY}
          data-testid="guide-search"
        />
        <button type="button" className="touch" onClick={() => setKeypad(!keypad)} aria-pressed={keypad} data-testid="guide-keypad-toggle">
          {keypad ? t('keypad.hide') : t('keypad.show')}
        </button>
      </div>
      {keypad && <LetterKeypad onLetter={(letter) => type(query + letter)} onBack={() => type(Array.from(query).slice(0, -1).join(''))} onClear={() => type('')} />}
      {!searching && (
        <>
          <TabBar
            tabs={TABS}
            selected={tab}
            onSelect={(id) => {
              setTab(id);
              setFilter(null);
            }}
            label={(id) => t(`tabs.${id}`)}
            testIdPrefix="guide-tab"
          />
          {catalog !== undefined && !catalog.ok && <p className="guide-empty">{t('loadFailed', { message: say(catalog.error) })}</p>}
          <div className="guide-chips" data-testid="guide-facets">
            {facets.map((facet) => (
              <button
                type="button"
                key={facet.key}
                className={`touch chip${filter !== null && facetKey(filter) === facet.key ? ' primary' : ''}`}
                onClick={() => setFilter(facet.filter)}
                data-testid={`guide-facet-${facet.key}`}
              >
                {tab === 'audience' ? t(`audience.${facet.label}`) : facet.label}
                <span className="chip-count">{t('count', { count: facet.count })}</span>
              </button>
            ))}
          </div>
        </>
      )}
      <div className="guide-results" aria-live="polite">
        {listing.kind === 'none' && <p className="guide-empty">{t('pickFacet')}</p>}
        {listing.kind === 'loading' && <p className="guide-empty">{t('loading')}</p>}
        {listing.kind === 'error' && <p className="guide-empty">{t('loadFailed', { message: listing.message })}</p>}
        {listing.kind === 'hits' &&
          (listing.hits.length === 0 ? (
            <p className="guide-empty" data-testid="guide-no-results">
              {t('noResults')}
            </p>
          ) : (
            <>
              <p className="guide-count">{t('results', { count: listing.hits.length })}</p>
              <ul className="guide-list" data-testid="guide-results">
                {listing.hits.map((hit) => (
                  <ServiceRow key={hit.service.id} service={hit.service} matched={searching ? hit.matched : undefined} onOpen={() => onOpen(hit.service.id)} />
                ))}
              </ul>
            </>
          ))}
      </div>
    </div>
  );
}

export function GuideScreen() {
  const { arg } = useNavigation();
  // A new argument (another link into the guide) starts the screen afresh.
  return <Guide key={arg ?? ''} initialServiceId={arg} />;
}

function Guide({ initialServiceId }: { initialServiceId: string | undefined }) {
  const { t } = useTranslation('guide');
  // History of opened services: "back" returns to the previous one (a related service) or to the list.
  const [opened, setOpened] = useState<string[]>(initialServiceId !== undefined ? [initialServiceId] : []);
  const current = opened[opened.length - 1];
  return (
    <main className="guide" data-testid="guide-screen">
      <h1 className="screen-title">{t('title')}</h1>
      {/* The list stays mounted under a detail so its query and filter survive "back". */}
      <div hidden={current !== undefined}>
        <Browse onOpen={(serviceId) => setOpened([serviceId])} />
      </div>
      {current !== undefined && <ServiceDetail key={current} serviceId={current} onBack={() => setOpened(opened.slice(0, -1))} onOpen={(serviceId) => setOpened([...opened, serviceId])} />}
    </main>
  );
}
