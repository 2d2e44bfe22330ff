"""Imported by the forkserver the extraction workers fork from (``crawlers.pipelines``): importing
this module loads the pipeline's modules, models and tables once, before any worker exists."""

from crawlers.worker import warm_up

warm_up()
