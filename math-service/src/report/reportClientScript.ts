/**
 * @module report/reportClientScript
 * The browser side of the HTML report, as a string inlined into the page: reads the embedded JSON
 * and draws three time-synchronised lightweight-charts panes (price with trade markers, equity,
 * drawdown) with the library's standalone build (global `LightweightCharts`, v5 API).
 */
export const REPORT_CLIENT_SCRIPT = String.raw`
(function () {
	var D = JSON.parse(document.getElementById('report-data').textContent);
	var LC = window.LightweightCharts;
	var S = D.series;
	function chartIn(id, height) {
		var el = document.getElementById(id);
		return LC.createChart(el, {
			width: el.clientWidth || 900,
			height: height,
			layout: { background: { type: 'solid', color: '#ffffff' }, textColor: '#131722', fontFamily: 'system-ui, sans-serif' },
			grid: { vertLines: { color: '#f0f3fa' }, horzLines: { color: '#f0f3fa' } },
			timeScale: { timeVisible: true, secondsVisible: false, minBarSpacing: 0.05 },
			rightPriceScale: { borderVisible: false },
		});
	}
	var price = chartIn('chart-price', 420);
	var candles = price.addSeries(LC.CandlestickSeries, {
		upColor: '#089981', downColor: '#f23645', wickUpColor: '#089981', wickDownColor: '#f23645', borderVisible: false,
	});
	candles.setData(S.candles);
	if (S.markers.length > 0) LC.createSeriesMarkers(candles, S.markers);
	var equity = chartIn('chart-equity', 260);
	var eq = equity.addSeries(LC.AreaSeries, { lineColor: '#2962ff', topColor: 'rgba(41,98,255,0.28)', bottomColor: 'rgba(41,98,255,0.02)', lineWidth: 2 });
	eq.setData(S.equity);
	var drawdown = chartIn('chart-drawdown', 200);
	var dd = drawdown.addSeries(LC.AreaSeries, {
		lineColor: '#f23645', topColor: 'rgba(242,54,69,0.02)', bottomColor: 'rgba(242,54,69,0.35)', lineWidth: 1,
		invertFilledArea: true,
		priceFormat: { type: 'custom', formatter: function (x) { return (x * 100).toFixed(2) + '%'; } },
	});
	dd.setData(S.drawdown);
	var charts = [price, equity, drawdown];
	charts.forEach(function (c) { c.timeScale().fitContent(); });
	var syncing = false;
	charts.forEach(function (source) {
		source.timeScale().subscribeVisibleLogicalRangeChange(function (range) {
			if (syncing || range === null) return;
			syncing = true;
			charts.forEach(function (target) { if (target !== source) target.timeScale().setVisibleLogicalRange(range); });
			syncing = false;
		});
	});
	window.addEventListener('resize', function () {
		charts.forEach(function (c, i) {
			var el = document.getElementById(['chart-price', 'chart-equity', 'chart-drawdown'][i]);
			c.applyOptions({ width: el.clientWidth });
		});
	});
	document.body.setAttribute('data-charts-ready', 'true');
})();
`;
