/**
 * Time-series charts with uPlot (~50 KB, canvas, no dependencies). uPlot sizes and positions
 * its elements through the CSSOM, which the console's CSP (style-src 'self') allows; its
 * stylesheet is bundled into console.css.
 */
import uPlot from "uplot";
import { h } from "./dom";

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
  /** A second y axis on the right (e.g. cost next to request counts). */
  right?: boolean;
}

/** `range`: the x axis in Unix seconds (the page's time range, however few points fall in it). */
export function timeChart(title: string, times: number[], series: Series[], range: [number, number]): HTMLElement {
  const box = h("figure", { class: "chart" }, h("figcaption", {}, title));
  const holder = h("div", { role: "img", "aria-label": `${title}: ${series.map((s) => s.label).join(", ")} over time` });
  box.appendChild(holder);
  const hasRight = series.some((s) => s.right);
  const opts: uPlot.Options = {
    width: 720,
    height: 220,
    series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, scale: s.right ? "right" : "y" }))],
    axes: [{}, { scale: "y" }, ...(hasRight ? [{ scale: "right", side: 1 as const, grid: { show: false } }] : [])],
    scales: { x: { time: true, range: () => range } },
  };
  // uPlot measures its container: create it once the figure is in the document.
  requestAnimationFrame(() => {
    const width = Math.max(320, Math.min(960, holder.clientWidth || 720));
    new uPlot({ ...opts, width }, [times, ...series.map((s) => s.values)] as uPlot.AlignedData, holder);
  });
  return box;
}
