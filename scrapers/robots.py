"""robots.txt for every request, including those that waited while it was being fetched."""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy shares one Deferred among the requests waiting for robots.txt, and only the first
    waiter receives the parser: the others got None and were let through unchecked."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if stored is not None and not isinstance(stored, Deferred):
                return stored
        return parser
