#!/usr/bin/env python3
"""Writes a realistic Apache combined log for benchmarks: varied IPv4/IPv6 clients, paths, agents, referrers.

Deterministic (fixed seed), so every run measures the same bytes. Usage: generate.py LINES [DAYS] > access.log
DAYS spreads the lines evenly over that many days (DAYS=1: one busy day, every visitor's day open at once); without
it a line comes 0-2 seconds after the one before (2M lines: about 24 days).
"""
import random
import sys

random.seed(20261123)
lines = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
days = int(sys.argv[2]) if len(sys.argv) > 2 else None

agents = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "curl/8.4.0",
    "python-requests/2.31.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36",
]
paths = ["/", "/index.html", "/blog/", "/blog/2023/10/logging-done-right", "/static/css/site.css", "/static/js/app.js",
         "/images/logo.png", "/favicon.ico", "/feed.xml", "/robots.txt", "/api/v1/items", "/search",
         "/users/{id}/profile", "/account/settings", "/wp-login.php", "/downloads/report-2023.pdf"]
referrers = ["-", "-", "-", "https://www.google.com/search?q=access+log+privacy&hl=en", "https://example.org/",
             "https://news.ycombinator.com/item?id=38000000", "https://duckduckgo.com/", "https://t.co/AbCdEf"]
methods = ["GET"] * 18 + ["POST", "HEAD"]
statuses = [200] * 16 + [304, 304, 301, 404, 404, 500, 206]
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# A client keeps its user agent (one in ten switches between two), and requests come in sessions: as in real
# traffic, where a visitor (address + agent) makes several requests in a row.
clients = []
for _ in range(50_000):
    if random.random() < 0.12:
        address = "2001:db8:%x:%x::%x" % (random.randrange(65536), random.randrange(65536), random.randrange(65536))
    else:
        address = "%d.%d.%d.%d" % (random.randrange(1, 224), random.randrange(256), random.randrange(256), random.randrange(1, 255))
    own = [random.choice(agents)]
    if random.random() < 0.1:
        own.append(random.choice(agents))
    clients.append((address, own))

out = sys.stdout
second = 0
buffer = []
client = clients[0]
for index in range(lines):
    if random.random() > 0.7:
        client = random.choice(clients)
    step = random.randrange(0, 3)  # drawn in both modes, so the other draws stay the same
    second = index * days * 86400 // lines if days else second + step
    day = 1 + (second // 86400) % 28
    hour = (second // 3600) % 24
    minute = (second // 60) % 60
    path = random.choice(paths).replace("{id}", str(random.randrange(1, 100000)))
    if path in ("/search", "/api/v1/items") and random.random() < 0.7:
        path += "?q=term%d&page=%d" % (random.randrange(1000), random.randrange(1, 20))
    status = random.choice(statuses)
    size = "-" if status == 304 else str(random.randrange(200, 250000))
    user = "-" if random.random() < 0.97 else "member%d" % random.randrange(5000)
    buffer.append('%s - %s [%02d/%s/2024:%02d:%02d:%02d +0000] "%s %s HTTP/1.1" %d %s "%s" "%s"\n' % (
        client[0], user, day, months[(second // (86400 * 28)) % 12], hour, minute, second % 60,
        random.choice(methods), path, status, size, random.choice(referrers), random.choice(client[1])))
    if len(buffer) == 10000:
        out.write("".join(buffer))
        buffer.clear()
out.write("".join(buffer))
