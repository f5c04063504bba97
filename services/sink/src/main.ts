#!/usr/bin/env node
/** The sink service: wiring only; configuration in config.ts, the work in the engine. */
import { serviceMain } from 'sluice';
import { loadSinkConfig, schema } from './config.js';

serviceMain('sink', loadSinkConfig, schema);
