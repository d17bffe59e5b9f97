import { useTranslation } from 'react-i18next';
import type { RobotFloorMap } from '../../../../electron/contract/index.js';

/**
 * A small plan of one floor drawn from the content's floor data: each area a
 * block in a two-row plan around a corridor, the destination's area
 * highlighted. Only the content's words, no fixed geometry per hall.
 */
const WIDTH = 560;
const ROW_HEIGHT = 78;
const CORRIDOR = 26;
const GAP = 8;

const LINE_CHARS = 8;

/** An area's label in at most two lines: the name, then its parenthetical (the windows) — each cut to fit a block. */
function areaLines(name: string): string[] {
  const [head = name, detail] = name.split(/[（(]/);
  const fit = (text: string): string => (Array.from(text).length > LINE_CHARS ? `${Array.from(text).slice(0, LINE_CHARS - 1).join('')}…` : text);
  return detail === undefined ? [fit(head)] : [fit(head), fit(detail.replace(/[）)]$/, ''))];
}

export function FloorMap({ map, title }: { map: RobotFloorMap; title: string }) {
  const { t } = useTranslation();
  const perRow = Math.max(1, Math.ceil(map.areas.length / 2));
  const cell = (WIDTH - GAP * (perRow + 1)) / perRow;
  const height = ROW_HEIGHT * 2 + CORRIDOR + GAP * 2;
  return (
    <figure className="robot-map" data-testid="robot-map" data-floor={map.floor}>
      <figcaption className="robot-map-title">{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={title}>
        <rect x="0" y="0" width={WIDTH} height={height} rx="12" className="robot-map-floor" />
        <rect x={GAP} y={GAP + ROW_HEIGHT} width={WIDTH - GAP * 2} height={CORRIDOR} className="robot-map-corridor" />
        {map.areas.map((area, index) => {
          const row = index < perRow ? 0 : 1;
          const column = row === 0 ? index : index - perRow;
          const x = GAP + column * (cell + GAP);
          const y = row === 0 ? GAP : GAP + ROW_HEIGHT + CORRIDOR;
          return (
            <g key={area.name} className={area.highlighted ? 'robot-map-area is-target' : 'robot-map-area'} data-testid={area.highlighted ? 'robot-map-target' : undefined}>
              <rect x={x} y={y} width={cell} height={ROW_HEIGHT - GAP} rx="8" />
              <title>{t('common:labelled', { label: area.name, value: area.description })}</title>
              {areaLines(area.name).map((line, lineIndex, lines) => (
                <text
                  key={line}
                  x={x + cell / 2}
                  y={y + (ROW_HEIGHT - GAP) / 2 + (lineIndex - (lines.length - 1) / 2) * 20}
                  textAnchor="middle"
                  dominantBaseline="middle"
                  className={lineIndex > 0 ? 'is-detail' : undefined}
                >
                  {line}
                </text>
              ))}
              {area.highlighted && <circle cx={x + cell - 12} cy={y + 12} r="7" className="robot-map-pin" />}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
