import type { Leaderboard } from '@modelyard/contracts';
import { escapeHtml } from '@/app/escape-html';
import { formatPercent, heatmapCells } from './leaderboard';

export interface WinRateChartTheme {
  text: string;
  strongText: string;
  border: string;
  surface: string;
  low: string;
  mid: string;
  high: string;
  /** The page's font stack: the canvas otherwise falls back to the language's default face (wider in zh-CN). */
  fontFamily: string;
}

const FONT_SIZE = 12;
const LABEL_MARGIN = 8;
const Y_LABEL_MAX = 180;
const X_LABEL_MAX = 150;
const X_ROTATE = 45;
const CELL = 56;
const TOP = 10;
// The colour scale under the grid.
const VISUAL_MAP_SPACE = 44;

/**
 * A generous width for text in the chart's 12px labels: CJK and other wide characters take a full em, the rest a
 * little over half. Only used to reserve room; ECharts cuts a label that still does not fit.
 */
export function estimateTextWidth(text: string, fontSize = FONT_SIZE): number {
  let em = 0;
  for (const char of text)
    em += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char)
      ? 1
      : 0.62;
  return Math.ceil(em * fontSize);
}

interface TooltipParams {
  componentType?: string;
  value: [number, number, number] | string;
}

/**
 * The head-to-head heat map. Room for the axis labels is reserved here rather than left to `containLabel`, whose
 * measurement clipped the row names in zh-CN; labels longer than the room end in "…" and show whole on hover.
 */
export function winRateChartOption(
  board: Pick<Leaderboard, 'items' | 'winRates'>,
  theme: WinRateChartTheme,
  locale: string,
) {
  const names = board.items.map((item) => item.name);
  const widest = Math.max(0, ...names.map((name) => estimateTextWidth(name)));
  const rotate = names.length > 2 ? X_ROTATE : 0;
  const yLabelWidth = Math.min(Y_LABEL_MAX, widest);
  const xLabelWidth = Math.min(X_LABEL_MAX, widest);
  const angle = (rotate * Math.PI) / 180;
  // A label turned by `rotate` hangs down by its width's sine and, ending at its tick, reaches left by the cosine.
  const xLabelDrop = rotate ? (xLabelWidth + FONT_SIZE) * Math.sin(angle) : FONT_SIZE * 1.5;
  const xLabelReach = rotate ? xLabelWidth * Math.cos(angle) - CELL / 2 : 0;
  const left = Math.ceil(Math.max(yLabelWidth + LABEL_MARGIN, xLabelReach) + 4);
  const bottom = Math.ceil(xLabelDrop + LABEL_MARGIN + VISUAL_MAP_SPACE);
  const labelStyle = { color: theme.text, fontFamily: theme.fontFamily, fontSize: FONT_SIZE };
  // Axis labels take the tooltip too, so a cut name can be read whole.
  const axisTooltip = { show: true };

  const option = {
    animation: false,
    textStyle: { fontFamily: theme.fontFamily },
    grid: { top: TOP, right: 16, bottom, left, containLabel: false },
    tooltip: {
      // Kept inside the chart and wrapped: a long name near an edge no longer runs off the page.
      confine: true,
      extraCssText: 'max-width: 360px; white-space: normal; overflow-wrap: anywhere;',
      backgroundColor: theme.surface,
      borderColor: theme.border,
      textStyle: { color: theme.text, fontFamily: theme.fontFamily },
      formatter: (params: TooltipParams) => {
        if (typeof params.value === 'string') return escapeHtml(params.value);
        const [j, i, value] = params.value;
        return escapeHtml(`${names[i]} → ${names[j]}: ${formatPercent(value, locale)}`);
      },
    },
    xAxis: {
      type: 'category',
      data: names,
      tooltip: axisTooltip,
      axisLabel: { ...labelStyle, rotate, interval: 0, width: xLabelWidth, overflow: 'truncate', hideOverlap: false },
      axisLine: { lineStyle: { color: theme.border } },
      splitArea: { show: false },
    },
    yAxis: {
      type: 'category',
      data: names,
      inverse: true,
      tooltip: axisTooltip,
      axisLabel: { ...labelStyle, margin: LABEL_MARGIN, width: yLabelWidth, overflow: 'truncate' },
      axisLine: { lineStyle: { color: theme.border } },
      splitArea: { show: false },
    },
    visualMap: {
      min: 0,
      max: 1,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      text: ['100%', '0%'],
      // The value it points at on hover, as the cells say it (not a bare "1").
      formatter: (value: number) => formatPercent(value, locale),
      textStyle: labelStyle,
      inRange: { color: [theme.low, theme.mid, theme.high] },
    },
    series: [
      {
        type: 'heatmap',
        data: heatmapCells(board),
        label: {
          show: true,
          color: theme.strongText,
          fontFamily: theme.fontFamily,
          formatter: (params: { value: [number, number, number] }) => formatPercent(params.value[2], locale),
        },
        itemStyle: { borderColor: theme.surface, borderWidth: 2 },
      },
    ],
  };
  return { option, height: TOP + names.length * CELL + bottom };
}
