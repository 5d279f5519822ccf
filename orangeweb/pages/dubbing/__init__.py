"""Dubbing studio (/dubbing), split by what each part shows:

page        the page: the upload card and the projects beside the open project
upload      the new-project card (drop, upload, send to OrangeClone)
projects    the team's projects
project     the open project, composed of:
  stepper     where it stands, and the retry
  transcript  the source player beside the segments, and the translate bar
  voices      speaker -> character mapping, and casts
  summary     language, voices and estimate before dubbing
  result      the dubbed file and its downloads
"""

from orangeweb.pages.dubbing.page import dubbing_page

__all__ = ["dubbing_page"]
