/** Small pieces every page uses: the focused page heading, status and error messages, and a Chart.js canvas. */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiError } from './api';
import { useCopy } from './i18n';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);
// No animation: the numbers are there at once, for people and for screenshots alike.
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.color = '#1f2933';

/** The page's h1 takes the focus when the page opens, so a screen reader announces where a link led. */
export function PageHeading({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1} id="page-heading">
      {children}
    </h1>
  );
}

/** An API failure in words; 403 says the role does not allow it. Announced by screen readers as it appears. */
export function ErrorText({ error }: { error?: ApiError | string | null }) {
  const copy = useCopy();
  if (!error) return null;
  const text =
    typeof error === 'string'
      ? error
      : error.status === 403
        ? copy.errors.forbidden
        : error.status === 409
          ? copy.errors.conflict
          : error.status === 404
            ? copy.errors.missing
            : error.status === 0
              ? copy.errors.network
              : copy.errors.generic(error.status);
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}

export function Loading({ when }: { when: boolean }) {
  const copy = useCopy();
  return when ? (
    <p class="muted" role="status">
      {copy.loading}
    </p>
  ) : null;
}

/** A chart with its label for assistive technology; the same numbers are always in a table next to it. */
export function ChartCanvas({ config, label, height = 260 }: { config: ChartConfiguration; label: string; height?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, { ...config, options: { maintainAspectRatio: false, ...config.options } });
    return () => chart.destroy();
  }, [JSON.stringify(config.data), config.type]);
  return (
    <div class="chart" style={{ height: `${height}px` }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

export const CHART_COLOURS = ['#1d4ed8', '#0f766e', '#b45309', '#7c3aed', '#be123c', '#4d7c0f'];
