import { describe, expect, it } from 'vitest';
import { estimateTextWidth, winRateChartOption } from './win-rate-chart';

const theme = {
  text: '#606266',
  strongText: '#303133',
  border: '#ebeef5',
  surface: '#ffffff',
  low: '#e29898',
  mid: '#f0f2f5',
  high: '#a0bc92',
  fontFamily: 'Inter, sans-serif',
};

const board = (names: string[]) => ({
  items: names.map((name) => ({ name })) as never,
  winRates: names.map((_, i) => names.map((__, j) => (i === j ? null : 0.5))),
});

describe('win-rate heat map', () => {
  it('counts wide characters as a full em', () => {
    expect(estimateTextWidth('模拟器')).toBe(36);
    expect(estimateTextWidth('abc')).toBeLessThan(36);
  });

  it('reserves room for the longest row name instead of trusting containLabel, and cuts longer ones', () => {
    const name = 'Simulator · reasoning';
    const { option } = winRateChartOption(board([name, 'Mock', 'B']), theme, 'zh-CN');
    expect(option.grid.containLabel).toBe(false);
    expect(option.yAxis.axisLabel.width).toBe(estimateTextWidth(name));
    expect(option.grid.left).toBeGreaterThanOrEqual(option.yAxis.axisLabel.width + option.yAxis.axisLabel.margin);
    expect(option.yAxis.axisLabel).toMatchObject({ overflow: 'truncate', fontFamily: 'Inter, sans-serif' });

    const long = winRateChartOption(board(['x'.repeat(200), 'y', 'z']), theme, 'en').option;
    expect(long.yAxis.axisLabel.width).toBe(180);
    expect(long.xAxis.axisLabel.width).toBe(150);
  });

  it('leaves room under the grid for turned column names and names them whole on hover', () => {
    const { option, height } = winRateChartOption(board(['Alpha model', 'Beta model', 'Gamma model']), theme, 'en');
    const width = option.xAxis.axisLabel.width;
    expect(option.xAxis.axisLabel.rotate).toBe(45);
    expect(option.grid.bottom).toBeGreaterThan(width * Math.sin(Math.PI / 4));
    expect(height).toBe(10 + 3 * 56 + option.grid.bottom);
    expect(option.xAxis.tooltip.show).toBe(true);
    expect(option.yAxis.tooltip.show).toBe(true);

    const format = option.tooltip.formatter;
    expect(format({ componentType: 'xAxis', value: 'Gamma <model>' })).toBe('Gamma &lt;model&gt;');
    expect(format({ value: [1, 0, 0.75] })).toBe('Alpha model → Beta model: 75%');
  });
});
