import { BarChart as Bars, LineChart as Lines } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import langFR from "echarts/lib/i18n/langFR.js";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import { frNumber } from "./lib/format";

echarts.use([Bars, Lines, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);
echarts.registerLocale("FR", langFR as Parameters<typeof echarts.registerLocale>[1]);

export interface Series {
  name: string;
  values: number[];
  color?: string;
  /** Drawn as a line (a course over time) instead of bars. */
  line?: boolean;
}

/**
 * A bar chart, or bars and lines (ECharts, SVG, French numbers). `description` is the sentence screen readers hear:
 * write it from the data, in French.
 */
export function BarChart({
  categories,
  series,
  description,
  xName,
  yName,
  testId,
}: {
  categories: string[];
  series: Series[];
  description: string;
  xName?: string;
  yName?: string;
  testId?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, null, { renderer: "svg", locale: "FR" });
    chart.setOption({
      aria: { enabled: true, label: { description } },
      animation: false,
      grid: { left: 56, right: 16, top: 40, bottom: 56 },
      legend: series.length > 1 ? { top: 0 } : undefined,
      tooltip: { trigger: "axis", valueFormatter: (v: unknown) => (typeof v === "number" ? frNumber(v) : String(v)) },
      xAxis: { type: "category", data: categories, name: xName, nameLocation: "middle", nameGap: 36 },
      yAxis: { type: "value", name: yName, axisLabel: { formatter: (v: number) => frNumber(v) } },
      series: series.map((s) => ({
        type: s.line ? "line" : "bar",
        name: s.name,
        data: s.values,
        itemStyle: s.color ? { color: s.color } : undefined,
      })),
    });
    const resize = () => chart.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      chart.dispose();
    };
  }, [categories, series, description, xName, yName]);
  return <div ref={el} className="logis-chart" data-testid={testId} />;
}
