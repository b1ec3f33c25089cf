"""The Python side of ruleatlas's Panther runner: loads helper modules, data models and rule
modules from texts the host sends, and calls a rule's functions on one event with its Mocks.

`handle(request_json)` is the only entry point the host calls; it answers JSON. Helper modules
and rule modules are kept by digest: a rule's module is loaded once and its tests run in order on
it (module state such as a global a test rewrites carries over, as in Panther's test runner).
"""

import contextlib
import importlib.abc
import importlib.util
import json
import sys
import time
import traceback
import types
from unittest import mock

import panther_detection_helpers.caching as caching
from panther_core.enriched_event import DataModel, PantherEvent

# Modules that reach JavaScript (and through it the host process): never importable by rules.
BLOCKED = ("js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core", "micropip", "pyodide_http")

# Functions Panther calls after rule() returns True; their values are reported, not tested.
OUTPUT_FUNCTIONS = ("title", "dedup", "severity", "alert_context", "description", "reference", "runbook", "destinations")


def _blocked(name):
    return any(name == b or name.startswith(b + ".") for b in BLOCKED)


class _BlockJs(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if _blocked(fullname):
            raise ImportError("module '" + fullname + "' is not available to rules")
        return None


class _Helpers(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves the source's helper modules (global_helpers) from the texts the host sent."""

    def __init__(self):
        self.texts = {}  # name -> (digest, text)
        self.loaded = {}  # name -> digest of the text the module in sys.modules ran

    def find_spec(self, fullname, path=None, target=None):
        name = fullname.rsplit(".", 1)[-1] if fullname.startswith("global_helpers.") else fullname
        if name in self.texts:
            return importlib.util.spec_from_loader(fullname, self)
        if fullname == "global_helpers":
            return importlib.util.spec_from_loader(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        fullname = module.__name__
        if fullname == "global_helpers":
            module.__path__ = []
            return
        name = fullname.rsplit(".", 1)[-1]
        digest, text = self.texts[name]
        module.__file__ = "global_helpers/" + name + ".py"
        exec(compile(text, module.__file__, "exec"), module.__dict__)
        self.loaded[fullname] = digest

    def update(self, entries):
        """New texts: a module whose text changed is dropped with every helper loaded after it."""
        changed = False
        for name, entry in entries.items():
            digest = entry["digest"]
            if "text" in entry:
                self.texts[name] = (digest, entry["text"])
            elif name not in self.texts or self.texts[name][0] != digest:
                raise KeyError("helper module " + name + " was not sent")
        for fullname, digest in list(self.loaded.items()):
            name = fullname.rsplit(".", 1)[-1]
            if self.texts.get(name, (None,))[0] != digest:
                changed = True
        if changed:
            for fullname in list(self.loaded):
                sys.modules.pop(fullname, None)
            self.loaded.clear()
            _rules.clear()
            _models.clear()


_helpers = _Helpers()
_rules = {}  # digest -> rule module
_models = {}  # digest -> DataModel


def lock_down():
    for name in list(sys.modules):
        if _blocked(name):
            del sys.modules[name]
    sys.meta_path.insert(0, _BlockJs())
    sys.meta_path.insert(1, _helpers)


def _module(name, code, filename):
    module = types.ModuleType(name)
    module.__file__ = filename
    exec(compile(code, filename, "exec"), module.__dict__)
    return module


def _data_model(spec):
    if not spec:
        return None
    digest = spec.get("digest")
    model = _models.get(digest) if digest else None
    if model is not None:
        return model
    methods = {}
    if spec.get("methods"):
        module = _module(spec.get("moduleName") or "data_model", spec.get("code") or "", spec.get("filename") or "data_model.py")
        for udm_name, function in spec["methods"].items():
            methods[udm_name] = getattr(module, function)
    model = DataModel(spec.get("paths") or {}, methods)
    if digest:
        _models[digest] = model
    return model


def _rule_module(spec, fresh):
    digest = spec["digest"]
    if fresh or digest not in _rules:
        _rules[digest] = _module(spec.get("moduleName") or "rule", spec["code"], spec.get("filename") or "rule.py")
    return _rules[digest]


def _plain(value):
    """A JSON-able copy of what a rule function returned."""
    try:
        from panther_core.immutable import unwrap

        value = unwrap(value)
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


def _error(err):
    tb = traceback.extract_tb(err.__traceback__)
    where = next((f"{f.filename}:{f.lineno}" for f in reversed(tb) if not f.filename.startswith("/")), None)
    text = f"{type(err).__name__}: {err}"
    return text + (f" (at {where})" if where else "")


def run(request):
    started = time.perf_counter()
    answer = {}
    try:
        _helpers.update(request.get("helpers") or {})
        module = _rule_module(request["rule"], request.get("fresh", False))
        model = _data_model(request.get("dataModel"))
        data = request.get("event") or {}
        if request.get("logType") and isinstance(data, dict) and "p_log_type" not in data:
            data = dict(data, p_log_type=request["logType"])
        event = PantherEvent(data, model)
        function = request.get("function") or ("rule" if hasattr(module, "rule") else "policy")
        mocks = {m["objectName"]: mock.MagicMock(return_value=m.get("returnValue")) for m in request.get("mocks") or []}
        caching.reset()
        patched = mock.patch.multiple(module, create=True, **mocks) if mocks else contextlib.nullcontext()
        with patched:
            main = getattr(module, function, None)
            if not callable(main):
                raise AttributeError("the module defines no " + function + "() function")
            result = main(event)
            answer["result"] = _plain(result)
            if not isinstance(result, bool):
                answer["error"] = f"{function}() returned {type(result).__name__}, not bool"
            elif result and request.get("outputs"):
                outputs, errors = {}, {}
                for name in OUTPUT_FUNCTIONS:
                    fn = getattr(module, name, None)
                    if callable(fn):
                        try:
                            outputs[name] = _plain(fn(event))
                        except Exception as err:  # a broken title() is reported, not fatal
                            errors[name] = _error(err)
                answer["outputs"] = outputs
                if errors:
                    answer["outputErrors"] = errors
    except Exception as err:
        answer["error"] = _error(err)
    answer["millis"] = (time.perf_counter() - started) * 1000
    return answer


def handle(request_json):
    return json.dumps(run(json.loads(request_json)), default=repr)
