import { useTranslation } from 'react-i18next';
import { reasonsField, type HallStats, type RatingRow } from '../../hall/protocol/index.js';
import { FigureChart, type ChartSeries } from './FigureChart.js';

/** From 1 star (red) to 5 stars (green). */
const STAR_COLORS = ['#c8102e', '#e0762b', '#b8a200', '#5c9e31', '#1b7a3a'] as const;
const STARS = [1, 2, 3, 4, 5] as const;

/** A department's name in the page's language; '' is the ratings that named none. */
function departmentLabel(stats: Pick<HallStats, 'departments'>, departmentId: string, english: boolean, noDepartment: string): string {
  if (departmentId === '') return noDepartment;
  const department = stats.departments.find((d) => d.id === departmentId);
  if (department === undefined) return departmentId;
  return english ? (department.nameEn ?? department.name) : department.name;
}

/**
 * Ratings (好差评) by department for the day shown: a chart of the stars
 * given per department and a table with the count, mean, spread, low share
 * and top reasons — the same rows the CSV writes (`statsCsv`, scope
 * `department`). Department names in the page's language (the content's
 * English name when it has one).
 */
export function Ratings({ stats }: { stats: HallStats }) {
  const { t, i18n } = useTranslation('stats');
  const english = i18n.language === 'en';
  const noDepartment = t('ratings.noDepartment');
  const name = (departmentId: string): string => departmentLabel(stats, departmentId, english, noDepartment);
  const reasonText = (reason: string): string => t(`ratings.reason.${reason}`, { defaultValue: reason });
  const rows = stats.ratings;
  // Redrawn whenever the page re-renders, like the hourly charts (a new day, a refresh, a language switch).
  const labels = rows.map((r) => name(r.departmentId));
  const series: ChartSeries[] = STARS.map((star) => ({ label: t('ratings.star', { count: star }), values: rows.map((r) => r.stars[star - 1]!), color: STAR_COLORS[star - 1]! }));
  const reasons = (row: RatingRow): string =>
    row.topReasons.length === 0 ? t('none') : row.topReasons.map((r) => t('ratings.reasonCount', { reason: reasonText(r.reason), count: r.count })).join(t('ratings.reasonSeparator'));

  return (
    <section className="stats-ratings" aria-labelledby="stats-ratings-title">
      <h2 id="stats-ratings-title">{t('ratings.title')}</h2>
      {rows.length === 0 ? (
        <p data-testid="stats-no-ratings">{t('ratings.noRatings')}</p>
      ) : (
        <div className="stats-ratings-body">
          <FigureChart title={t('ratings.chart')} kind="bar" labels={labels} series={series} testId="stats-chart-ratings" />
          <div className="stats-ratings-table">
            <table className="stats-table" data-testid="stats-ratings">
              <thead>
                <tr>
                  <th scope="col">{t('ratings.columns.department')}</th>
                  <th scope="col">{t('ratings.columns.count')}</th>
                  <th scope="col">{t('ratings.columns.average')}</th>
                  {STARS.map((star) => (
                    <th scope="col" key={star}>
                      {t('ratings.star', { count: star })}
                    </th>
                  ))}
                  <th scope="col">{t('ratings.columns.lowPercent')}</th>
                  <th scope="col" className="stats-reasons">
                    {t('ratings.columns.topReasons')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={`${row.day}|${row.departmentId}`} data-row={`${row.day}||department|${row.departmentId}`}>
                    <th scope="row">{name(row.departmentId)}</th>
                    <td data-col="ratings">{row.count}</td>
                    <td data-col="averageStars">{row.average}</td>
                    {STARS.map((star) => (
                      <td key={star} data-col={`stars${star}`}>
                        {row.stars[star - 1]}
                      </td>
                    ))}
                    <td data-col="lowPercent">{row.lowPercent}</td>
                    <td data-col="topReasons" data-reasons={reasonsField(row)} className="stats-reasons">
                      {reasons(row)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      <p className="stats-legend">{t('ratings.legend')}</p>
    </section>
  );
}
