"""The one entry point for `flask --app app ...` and for gunicorn (`gunicorn app:app`)."""

import gc

# Start-up makes some 190,000 objects that live as long as the process (modules, classes, the
# models' mappings, the URL map); the garbage collector going through them again and again while
# they are made is a tenth or more of start-up. So it waits until the app is built, and then
# leaves them out of every later collection (gc.freeze), which also keeps requests' collections
# short.
gc.disable()
try:
    from programme import create_app

    app = create_app()
finally:
    gc.enable()
gc.freeze()
