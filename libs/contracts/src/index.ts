export * from './common';
export * from './auth';
export * from './admin';
export * from './health';
export * from './models';
export * from './chat';
