"""A jupyter_server extension that serves liveplot's JupyterLab 4 test page.

It is jupyterlab_server's LabServerApp, as JupyterLab's own labapp is: the page at
<base_url>lab/tree/<notebook path> gets its config (baseUrl, wsUrl, token, treePath, appVersion,
...) in <script id="jupyter-config-data">, and the bundle that scripts/setup builds from
internal/labpage is served from <base_url>static/liveplot_labpage/.

Enable it with ServerApp.jpserver_extensions = {"liveplot_labpage": True}, this directory on
PYTHONPATH, and LabPageApp.static_dir set to the bundle's directory (internal/harness does).
"""

import os

from jupyterlab_server import LabServerApp
from traitlets import default

HERE = os.path.dirname(os.path.abspath(__file__))

# The version of the JupyterLab packages the bundle is built from (package.json pins them).
APP_VERSION = "4.6.6"


class LabPageApp(LabServerApp):
    """Serves the test page at /lab/tree/<path>, with JupyterLab's page config."""

    name = "liveplot_labpage"
    app_name = "JupyterLab"
    extension_url = "/lab"
    default_url = "/lab"
    load_other_extensions = True

    @default("app_version")
    def _default_app_version(self):
        return APP_VERSION

    @default("templates_dir")
    def _default_templates_dir(self):
        return os.path.join(HERE, "templates")

    def initialize_handlers(self):
        # What JupyterLab's labapp adds to the page config beside jupyterlab_server's own.
        page_config = self.serverapp.web_app.settings.setdefault("page_config_data", {})
        page_config["token"] = self.serverapp.token
        page_config["exposeAppInBrowser"] = False
        page_config["quitButton"] = False
        super().initialize_handlers()


def _jupyter_server_extension_points():
    return [{"module": "liveplot_labpage", "app": LabPageApp}]
