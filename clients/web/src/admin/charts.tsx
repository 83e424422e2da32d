/**
 * Small time-series charts drawn as SVG by hand: bars (a count per minute) and a line (a level
 * over time). The chart is an image with a text label saying what it shows and its latest value;
 * it mirrors in right-to-left pages so time runs the way the page reads.
 */
import { lang } from '../i18n.js';

const WIDTH = 240;
const HEIGHT = 56;

function mirrored(x: number): number {
  return lang.value === 'ar' ? WIDTH - x : x;
}

/** Bars, oldest first. */
export function Bars(props: { values: readonly number[]; label: string; id?: string }) {
  const max = Math.max(1, ...props.values);
  const step = WIDTH / Math.max(1, props.values.length);
  return (
    <svg class="chart" id={props.id} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label={props.label}>
      <line x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} class="axis" />
      {props.values.map((value, i) => {
        const height = (value / max) * (HEIGHT - 4);
        const x = mirrored(i * step + (lang.value === 'ar' ? step - 1 : 1));
        return <rect key={i} x={x} y={HEIGHT - height} width={Math.max(1, step - 2)} height={height} class="bar" />;
      })}
    </svg>
  );
}

/** A line through the values, oldest first. */
export function Line(props: { values: readonly number[]; label: string; id?: string }) {
  const values = props.values.length === 1 ? [props.values[0] ?? 0, props.values[0] ?? 0] : props.values;
  const max = Math.max(1, ...values);
  const step = WIDTH / Math.max(1, values.length - 1);
  const points = values.map((value, i) => `${mirrored(i * step).toFixed(1)},${(HEIGHT - 2 - (value / max) * (HEIGHT - 6)).toFixed(1)}`).join(' ');
  return (
    <svg class="chart" id={props.id} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label={props.label}>
      <line x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} class="axis" />
      {values.length > 0 ? <polyline points={points} class="trend" /> : null}
    </svg>
  );
}
