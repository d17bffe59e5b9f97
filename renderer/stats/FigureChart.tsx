import { useEffect, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Title, Tooltip } from 'chart.js';

// Only the parts the two charts use, so the bundle carries no more of Chart.js than that.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Title, Tooltip);

export interface ChartSeries {
  label: string;
  /** One value per label; null = nothing measured in that hour (a gap in a line). */
  values: ReadonlyArray<number | null>;
  color: string;
}

/**
 * One chart of the statistics page (Chart.js on a canvas), redrawn when its
 * figures change. The figures themselves are also in the tables below it, so
 * the canvas is labelled by its title for screen readers.
 */
export function FigureChart({ title, kind, labels, series, testId }: { title: string; kind: 'bar' | 'line'; labels: readonly string[]; series: readonly ChartSeries[]; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current === null) return;
    const chart = new Chart(canvas.current, {
      type: kind,
      data: {
        labels: [...labels],
        datasets: series.map((s) => ({ label: s.label, data: [...s.values], backgroundColor: s.color, borderColor: s.color, spanGaps: false })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { title: { display: true, text: title, font: { size: 18 } }, legend: { position: 'bottom' } },
        scales: { y: { beginAtZero: true } },
      },
    });
    return () => chart.destroy();
  }, [title, kind, labels, series]);
  return (
    <figure className="stats-chart">
      <canvas ref={canvas} role="img" aria-label={title} data-testid={testId ?? `stats-chart-${kind}`} />
    </figure>
  );
}
