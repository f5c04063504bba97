#!/usr/bin/env node
/** The processor service: wiring only; configuration in config.ts, the work in the engine. */
import { serviceMain } from 'sluice';
import { loadProcessorConfig, schema } from './config.js';

serviceMain('processor', loadProcessorConfig, schema);
