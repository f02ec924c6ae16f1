#!/usr/bin/python3
"""A JSearch-shaped feed of real-sized jobs on loopback, for measuring job-sync's peak memory
on the largest responses JSearch sends (num_pages=50: 500 jobs of ~10 KB, 4.3 MB). It serves
the recorded jobs of ../shared/fixtures again and again with ids unique per query and page;
it checks no key and bills nothing. The README's "Resources" figures came from:

  tests/scripts/real_sized_feed.py &          # prints its port
  JSEARCH_BASE_URL=http://127.0.0.1:PORT /usr/bin/time -v build/job-sync sync \\
      --query q01 ... --query q12 --pages 50 --pages-per-request 50
  (SUPABASE_URL and the key from `build/rest-gateway serve --temp-postgres`)
"""
import glob
import json
import os
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "../../../shared/fixtures/jsearch/real")
JOBS = [job for path in sorted(glob.glob(os.path.join(FIXTURES, "search_*.json")))
        for job in json.load(open(path))["data"]]


class Feed(BaseHTTPRequestHandler):
    def do_GET(self):
        params = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        query = params.get("query", [""])[0]
        page = int(params.get("page", ["1"])[0])
        pages = int(params.get("num_pages", ["1"])[0])
        data = []
        for i in range((page - 1) * 10, (page - 1 + pages) * 10):
            job = dict(JOBS[i % len(JOBS)])
            job["job_id"] = f"{query}-{i}"
            data.append(job)
        body = json.dumps({"status": "OK", "request_id": "local", "parameters": {},
                           "data": data}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-ratelimit-requests-remaining", "999")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
print(server.server_address[1], flush=True)
server.serve_forever()
