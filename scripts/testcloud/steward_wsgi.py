"""WSGI entry point for services that read their config files from sys.argv.

cinder.wsgi.api and heat.wsgi.api parse `sys.argv[1:]` (oslo.config) and
otherwise search /etc/<project>.  Under pyuwsgi `sys.argv` is ['uwsgi'] and
uwsgi's `pyargv`/`env` options do not reach the interpreter, so this module
takes the arguments from STEWARD_WSGI_ARGV (passed in the process
environment by scripts/testcloud) and then imports STEWARD_WSGI_APP.
"""
import importlib
import os
import shlex
import sys

sys.argv = ['uwsgi'] + shlex.split(os.environ.get('STEWARD_WSGI_ARGV', ''))
application = importlib.import_module(
    os.environ['STEWARD_WSGI_APP']).application
