// All loopback fakes of external services, for end-to-end tests (see each file's header).
export { startFakeBinance, type FakeBinance } from './fakeBinance';
export { startFakeBybit, type FakeBybit } from './fakeBybit';
export { startFakeCryptoPanic, type FakeCryptoPanic } from './fakeCryptoPanic';
export { startFakeGlassnode, type FakeGlassnode } from './fakeGlassnode';
export { startFakeOllama, type FakeOllama, type OllamaReply } from './fakeOllama';
export { callbackQueryUpdate, commandMessageUpdate, startFakeTelegram, type FakeTelegram, type TelegramCall } from './fakeTelegram';
export { loadErrors, loadSample, waitFor, SAMPLES_DIR, OHLCV_DIR } from './fakeServer';
export { startFakeBinanceWallet, type FakeBinanceWallet } from './fakeBinanceWallet';
export { startFakeBinanceAccount, type FakeBinanceAccount } from './fakeBinanceAccount';
