import { definePlugin } from '@agentflow/plugin-sdk';
import { calculator } from './tools/calculator.ts';
import { currentTime } from './tools/current-time.ts';

export default definePlugin({ tools: [calculator, currentTime] });
