"""The page routers, one module per resource; `jointfund.web.pages` joins them into one."""
