// A JupyterLab 4 notebook page assembled from JupyterLab's own packages, for liveplot's browser
// tests: one NotebookPanel opened through JupyterLab's DocumentManager, outputs rendered by its
// OutputArea and RenderMime (standardRendererFactories), the kernel reached through its
// ServiceManager and SessionContext. There is no `Jupyter` global, as in JupyterLab.
//
// The page config comes from <script id="jupyter-config-data"> (PageConfig reads it): baseUrl,
// wsUrl and token for the services, treePath for the notebook to open.
//
// window.labtest is a hook for the Go test driver (internal/harness), and only for it: a
// liveplot page script must never use it, since a real JupyterLab has nothing like it.

import { PageConfig } from '@jupyterlab/coreutils';
import { ServiceManager } from '@jupyterlab/services';
import { RenderMimeRegistry, standardRendererFactories } from '@jupyterlab/rendermime';
import { DocumentManager } from '@jupyterlab/docmanager';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import {
  NotebookActions,
  NotebookModelFactory,
  NotebookPanel,
  NotebookWidgetFactory
} from '@jupyterlab/notebook';
import {
  CodeMirrorEditorFactory,
  CodeMirrorMimeTypeService,
  EditorExtensionRegistry,
  EditorLanguageRegistry
} from '@jupyterlab/codemirror';
import { Widget } from '@lumino/widgets';
import { Signal } from '@lumino/signaling';

import '@jupyterlab/theme-light-extension/style/variables.css';
import '@jupyterlab/theme-light-extension/style/theme.css';
import '@jupyterlab/notebook/style/index.js';
import '@jupyterlab/outputarea/style/index.js';
import '@jupyterlab/rendermime/style/index.js';
import '@jupyterlab/cells/style/index.js';
import '@jupyterlab/codemirror/style/index.js';
import './page.css';

// editorServices builds the CodeMirror editor factory the notebook's cells edit with. No
// language modes are registered: the tests never edit, and each mode is a large module.
function editorServices() {
  const languages = new EditorLanguageRegistry();
  const extensions = new EditorExtensionRegistry();
  for (const ext of EditorExtensionRegistry.getDefaultExtensions()) {
    extensions.addExtension(ext);
  }
  const factory = new CodeMirrorEditorFactory({ extensions, languages });
  return {
    editorFactory: factory.newInlineEditor.bind(factory),
    mimeTypeService: new CodeMirrorMimeTypeService(languages)
  };
}

// openNotebook opens path in a NotebookPanel attached to host, starting the kernel its metadata
// names, and returns the panel.
function openNotebook(manager, path, host) {
  const rendermime = new RenderMimeRegistry({ initialFactories: standardRendererFactories });
  const { editorFactory, mimeTypeService } = editorServices();
  const registry = new DocumentRegistry();
  registry.addModelFactory(new NotebookModelFactory({}));
  registry.addWidgetFactory(
    new NotebookWidgetFactory({
      name: 'Notebook',
      modelName: 'notebook',
      fileTypes: ['notebook'],
      defaultFor: ['notebook'],
      preferKernel: true,
      canStartKernel: true,
      rendermime,
      contentFactory: new NotebookPanel.ContentFactory({ editorFactory }),
      mimeTypeService
    })
  );
  const opener = {
    opened: new Signal({}),
    open(widget) {
      if (!widget.isAttached) {
        Widget.attach(widget, host);
      }
      this.opened.emit(widget);
    }
  };
  const docManager = new DocumentManager({ registry, manager, opener });
  const panel = docManager.open(path);
  if (!panel) {
    throw new Error(`labpage: cannot open ${path}`);
  }
  window.addEventListener('resize', () => panel.update());
  return panel;
}

// testHook is window.labtest: what the Go driver reads and does in the page.
function testHook(panel) {
  const ctx = panel.sessionContext;
  const codeCells = () => panel.content.widgets.filter(c => c.model.type === 'code');
  const hook = {
    // error is set when the page could not start; ready once the notebook is loaded and its
    // kernel has started.
    error: '',
    ready: false,
    kernelId: () => ctx.session?.kernel?.id ?? '',
    // kernelStatus is the kernel's status: idle, busy, starting, restarting, dead, unknown...
    kernelStatus: () => ctx.session?.kernel?.status ?? 'unknown',
    kernelConnection: () => ctx.session?.kernel?.connectionStatus ?? 'disconnected',
    // cells describes every cell: type, source, executionCount, state (running, idle),
    // trusted, and outputs as nbformat JSON.
    cells: () =>
      panel.content.widgets.map(c => ({
        type: c.model.type,
        source: c.model.sharedModel.getSource(),
        executionCount: c.model.type === 'code' ? c.model.executionCount : null,
        state: c.model.type === 'code' ? c.model.executionState : 'idle',
        trusted: c.model.trusted,
        outputs: c.model.type === 'code' ? c.model.outputs.toJSON() : []
      })),
    // pending counts the cells queued or running (run, not finished).
    pending: 0,
    runs: 0,
    // runAll runs every cell, as Lab's "Run All Cells".
    runAll() {
      return track(NotebookActions.runAll(panel.content, ctx));
    },
    // runCell runs the cell at index i.
    runCell(i) {
      panel.content.activeCellIndex = i;
      panel.content.deselectAll();
      return track(NotebookActions.run(panel.content, ctx));
    },
    // done: no run pending, every code cell idle, and the kernel idle.
    done: () =>
      hook.pending === 0 &&
      codeCells().every(c => c.model.executionState !== 'running') &&
      hook.kernelStatus() === 'idle',
    interrupt: () => ctx.session.kernel.interrupt(),
    restart: () => ctx.restartKernel(),
    // trust marks every cell trusted, as Lab's "Trust Notebook" command does once confirmed.
    trust() {
      for (const cell of panel.content.model.cells) {
        cell.trusted = true;
      }
    },
    save: () => panel.context.save(),
    dirty: () => panel.context.model.dirty,
    panel
  };
  function track(p) {
    hook.pending++;
    hook.runs++;
    return p.finally(() => hook.pending--);
  }
  return hook;
}

async function main() {
  const host = document.getElementById('main');
  const path = PageConfig.getOption('treePath') || PageConfig.getOption('notebookPath');
  const manager = new ServiceManager();
  await manager.ready;
  const panel = openNotebook(manager, path, host);
  const hook = testHook(panel);
  window.labtest = hook;
  await panel.context.ready;
  await panel.sessionContext.ready;
  hook.ready = true;
}

main().catch(err => {
  console.error('labpage:', err);
  window.labtest = Object.assign(window.labtest || {}, { error: String(err && err.stack || err) });
});
