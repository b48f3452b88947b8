export * from './config';
export * from './methods';
export * from './events';
export * from './issues';
export * from './validate';
export * from './ws';
export * from './names';
export * from './roles';
