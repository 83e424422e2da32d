/** The venue and its activities, each with its lowest price and a link to book it. */
import { useEffect } from 'preact/hooks';
import { Link } from '../app.js';
import { activities, catalogError, loadCatalog, localized } from '../catalog.js';
import { money } from '../format.js';
import { t } from '../i18n.js';

export function HomePage() {
  useEffect(() => void loadCatalog(), []);
  const listed = activities.value;
  return (
    <>
      <section class="hero">
        <h1>{t('app.name')}</h1>
        <p>{t('app.tagline')}</p>
      </section>
      <h2>{t('home.activities')}</h2>
      {catalogError.value !== null ? <p class="error">{t('common.error', { message: catalogError.value })}</p> : null}
      {listed === null ? <p>{t('common.loading')}</p> : null}
      {listed !== null && listed.length === 0 ? <p>{t('home.none')}</p> : null}
      <ul class="cards" role="list">
        {(listed ?? []).map((activity) => {
          const onSale = activity.ticketTypes.filter((type) => type.active);
          const from = Math.min(...onSale.map((type) => type.price));
          return (
            <li class="card activity" key={activity.activityId} data-activity={activity.activityId}>
              <h3>{localized(activity).name}</h3>
              <p>{localized(activity).description}</p>
              {onSale.length > 0 ? <p class="price">{t('home.from', { price: money(from) })}</p> : null}
              {onSale.some((type) => type.requiresApproval) ? <p class="note">{t('home.needsApproval')}</p> : null}
              <Link href={`/activities/${encodeURIComponent(activity.activityId)}`} class="button">
                {t('home.book', { name: localized(activity).name })}
              </Link>
            </li>
          );
        })}
      </ul>
    </>
  );
}
