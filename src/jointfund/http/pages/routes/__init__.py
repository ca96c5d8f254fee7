"""The page routers, one module per resource; `jointfund.http.pages.pages` joins them into one."""
