"""The classroom: recording students' games (a play-session observer), the results store, the
class report and the teacher's guide. Built on the engine and the session; it imports no front end.
"""
