// incident_kit LiveChart: a plotly.js figure drawn in the browser and kept in step with Python.
//
// Python sends the whole figure when a view asks for it ("figure") and afterwards only what
// changed ("patch": changed trace and layout properties, numbered by revision). A view that
// misses a revision asks for the whole figure again. plotly.js itself is sent once per page,
// as bytes, when the first chart needs it (so the widget's own module stays a few KB).

const LIBRARY = "__incidentKitPlotly";

function loadPlotly(model) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window[LIBRARY]) {
    window[LIBRARY] = new Promise((resolve, reject) => {
      const onMessage = (msg, buffers) => {
        if (msg.kind !== "plotly") return;
        model.off("msg:custom", onMessage);
        const code = new TextDecoder().decode(buffers[0]);
        const wrapped = "(function (module, exports, define) {\n" + code + "\n}).call(window);";
        const url = URL.createObjectURL(new Blob([wrapped], { type: "text/javascript" }));
        const script = document.createElement("script");
        script.src = url;
        script.onload = () => {
          URL.revokeObjectURL(url);
          if (window.Plotly) resolve(window.Plotly);
          else reject(new Error("[incident_kit] plotly.js did not load"));
        };
        script.onerror = () => reject(new Error("[incident_kit] plotly.js did not load"));
        document.head.appendChild(script);
      };
      model.on("msg:custom", onMessage);
      model.send({ kind: "need-plotly" });
    });
    window[LIBRARY].catch(() => {
      window[LIBRARY] = undefined; // let a later chart try again
    });
  }
  return window[LIBRARY];
}

function applyPatch(figure, msg) {
  for (const { index, props } of msg.traces) {
    const trace = figure.data[index];
    for (const [key, value] of Object.entries(props)) {
      if (value === null) delete trace[key];
      else trace[key] = value;
    }
  }
  for (const [key, value] of Object.entries(msg.layout)) {
    if (value === null) delete figure.layout[key];
    else figure.layout[key] = value;
  }
}

function render({ model, el }) {
  const config = { displaylogo: false, responsive: true };
  let figure = null;
  let rev = -1;
  let drawing = Promise.resolve();
  let clickBound = false;
  let alive = true;
  el.classList.add("ik-livechart");

  const draw = () => {
    const shown = rev;
    const received = performance.now();
    // shallow copies: plotly.react compares them with what it drew, property by property
    const data = figure.data.map((trace) => ({ ...trace }));
    const layout = { ...figure.layout };
    drawing = drawing
      .then(() => loadPlotly(model))
      .then((Plotly) => alive && Plotly.react(el, data, layout, config))
      .then(() => {
        if (!alive) return;
        if (!clickBound && el.on) {
          clickBound = true;
          el.on("plotly_click", (event) => {
            const p = event.points[0];
            model.send({
              kind: "click",
              curve: p.curveNumber,
              point: p.pointNumber,
              customdata: p.customdata === undefined ? null : p.customdata,
            });
          });
        }
        el.dataset.rev = String(shown);
        // for tests and benchmarks: which revision is drawn, when it came and when it was done
        const detail = { rev: shown, received, drawn: performance.now() };
        el.dispatchEvent(new CustomEvent("ik-drawn", { detail }));
      })
      .catch((error) => {
        el.textContent = String(error);
      });
  };

  const onMessage = (msg) => {
    if (msg.kind === "figure") {
      if (msg.rev < rev) return;
      figure = msg.figure;
      rev = msg.rev;
      draw();
    } else if (msg.kind === "patch") {
      if (msg.rev <= rev) return;
      if (!figure || msg.base !== rev) {
        model.send({ kind: "need-figure" });
        return;
      }
      applyPatch(figure, msg);
      rev = msg.rev;
      draw();
    }
  };
  model.on("msg:custom", onMessage);
  model.send({ kind: "need-figure" });
  return () => {
    alive = false;
    model.off("msg:custom", onMessage);
    if (window.Plotly) window.Plotly.purge(el);
  };
}

export default { render };
